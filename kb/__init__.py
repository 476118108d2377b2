"""kb: a knowledge base and troubleshooting assistant for ConfigMgr 2007 OS deployment.

The core library: no Flask, no printing. Functions take text or paths and return
data, or raise a :class:`kb.errors.KbError` subclass.
"""

__version__ = "0.1.0"

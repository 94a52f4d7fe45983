"""huitan-xl: Excel register automation for the 八级慧谈 employee-dialogue process."""

__version__ = "0.1.0"

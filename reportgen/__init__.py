"""reportgen: coaching plans and team scorecards for sales managers.

Data flows one way: files → loader → models → coaching figures → HTML → PDF → output.
"""

__version__ = "0.1.0"

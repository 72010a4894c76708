"""Run every benchmark: ``python -m bench`` (or ``python -m bench.api_lists``)."""

from bench import api_lists

if __name__ == "__main__":
    api_lists.main()

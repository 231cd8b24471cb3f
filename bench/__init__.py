"""`make bench`: Yishi measured against bare baselines in the same run (see docs/performance.md)."""

"""State changes of the reports app: each checks its rule, saves atomically and logs the move."""

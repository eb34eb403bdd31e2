"""State changes of the findings app: each checks its rule, saves atomically and logs the move."""

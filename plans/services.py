"""State changes of the plans app: each checks its rule, saves atomically and logs the move."""

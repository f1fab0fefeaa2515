"""Training scripts for the models newsfuse ships (run by developers, never at run time)."""

"""newsfuse: raw news pages from many outlets in, one structured, sourced record per story out."""

__version__ = "0.1.0"

"""Stories: articles from all outlets grouped, online, as they arrive.

features.py    an article's similarity features (terms, entities, time, embedding)
embed.py       the dense sentence embedding (USE multilingual, shipped weights)
online.py      the online clusterer: candidates from an ANN index and an inverted index,
               scored, assigned or opened, bridging stories merged
duplicates.py  wire copies and near-duplicates by MinHash LSH, linked to the earliest
outlets.py     one key per outlet, so "The Lantern Review" and "Lantern Review" count once
runner.py      the stage: orders pending articles, runs the above, saves to the store
"""

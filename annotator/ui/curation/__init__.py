"""The curation view: merging the annotators' layers into the curated one, one key per decision."""

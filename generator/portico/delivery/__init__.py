"""Run the stages per client and put the result in place: pipeline, cache, swap, publish."""

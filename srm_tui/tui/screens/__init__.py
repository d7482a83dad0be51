"""The app's screens: start, interview, review, results and help."""

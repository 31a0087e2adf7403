//! curator's engine: state files, points, title matching, collection sync and the step pipeline.

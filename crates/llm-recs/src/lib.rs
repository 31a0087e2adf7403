//! Movie suggestions from any OpenAI-compatible chat completions server, with a tolerant answer parser.

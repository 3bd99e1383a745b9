"""Output formats: each module turns a Report into text for one audience; none of them decides exit codes."""

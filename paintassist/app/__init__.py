"""The Qt-free application: document, project files, recovery, palettes, recent files and the
services that build a pipeline with the shipped networks. The GUI and the CLI sit on top of it."""

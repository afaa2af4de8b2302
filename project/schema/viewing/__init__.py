"""Seeing where a database and its history stand: status, diagram, graph, squash."""

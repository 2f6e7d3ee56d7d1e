"""Wrappers around other colorization tools, used as peers in benchmarks and evaluations only.

Nothing in the application depends on them; each wrapper raises
:class:`~paintassist.peers.gmic_peer.PeerUnavailableError` when its tool is not installed.
"""

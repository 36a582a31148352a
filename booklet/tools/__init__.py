"""What is done with a built booklet: the live preview, proofs, imposition."""

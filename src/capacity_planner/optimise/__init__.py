"""The PuLP model, its solve with HiGHS (or CBC), and results. No Qt."""

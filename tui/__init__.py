"""dltui's Textual app: screens and panels that render engine snapshots. No maths here."""

"""Real-browser tests (Chromium via Playwright)."""

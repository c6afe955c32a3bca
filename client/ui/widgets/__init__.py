"""Reusable widgets: the customer search box, money entry, co-sign fields."""

"""The public disclosure pages (社会监督, ankang §29; heyuan §19): no login."""

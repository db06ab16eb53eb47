"""The site's build steps: pages and data, the service worker, .gz siblings, security headers, the local server."""

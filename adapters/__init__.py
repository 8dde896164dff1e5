"""Platform adapters: each turns one platform's events into IncomingMessage and renders Reply."""

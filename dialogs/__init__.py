"""The platform-independent dialog engine: types, states, replies, per-conversation stores."""

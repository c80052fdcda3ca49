/** Why Antigravity channels are off unless the operator opts in (README "Antigravity (opt-in)"). */
export const ANTIGRAVITY_TERMS =
  "Antigravity channels call Google's Cloud Code API with OAuth refresh tokens, which may break Google's terms of service and get the Google account suspended."

/** How to opt in, said wherever such a channel is refused. */
export const ANTIGRAVITY_OPT_IN = 'To allow them at your own risk, set CUTTLE_ALLOW_ANTIGRAVITY=1 (or "allowAntigravity": true in config.json) and restart.'

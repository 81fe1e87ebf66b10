/**
 * @module policy/starter
 * The commented starter policy that `airlock policy init` writes: every value is the built-in
 * default, plus one example command rule (ask before `git push`).
 */

/** The text of a starter `airlock.policy.yaml`. */
export const STARTER_POLICY = `# Airlock policy — every field is documented in docs/policy.md.
# Each value below is the built-in default, plus one example rule under "commands".
version: 1

# enforce: block what the policy denies.  monitor: decide and record everything, block nothing
# (the sandbox still contains every run) — use it to roll a policy out before enforcing it.
mode: enforce

# The one writable tree, mounted at its own path inside the sandbox. Relative to this file.
workspace: .

filesystem:
  read: []     # extra read-only paths beyond the system set (/usr, /etc, …)
  write: []    # extra writable paths
  # Never visible, even inside read/write paths or the workspace. Globs starting with ** match
  # at any depth inside the workspace.
  deny: ["~/.ssh", "~/.aws", "~/.config/gcloud", "**/.env"]

network:
  allow: []    # e.g. ["pypi.org", "*.pythonhosted.org"]; empty = no network at all
  deny: []     # wins over allow
  local: []    # local endpoints opened on purpose, e.g. ["127.0.0.1:5173"]

limits:
  timeout: 30s      # wall clock
  memory: 512MiB
  processes: 128
  output: 1MiB      # stdout and stderr each; the rest is cut and reported
  fileSize: 64MiB   # largest file a run may write

env:
  pass: [PATH, LANG, TERM, HOME]   # everything else is cleared

# Explicit rules over parsed commands (never raw text); the strictest match wins.
commands:
  - match: "git push"
    verdict: ask
    reason: "Pushing publishes code; a person should look first."
    examples: { match: ["git push origin main"], notMatch: ["git status"] }

inspect:
  deny: high        # findings at or above this severity deny (low|medium|high|critical|never)
  ask: medium       # … and at or above this one ask
  unknownPrograms: allow   # or ask: programs no rule knows need a person

verify:
  secrets: redact   # redact | block | report
  pii: redact
  canary: block

approvals:
  timeout: 5m       # silence past this is a deny

audit:
  store: .airlock/audit.db
`;

-- Steps of the demo seed that have run, so a second `seed demo` adds nothing.
CREATE TABLE demo_steps (
    name    TEXT PRIMARY KEY,
    done_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

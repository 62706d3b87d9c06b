// Package photo holds the photos of initiatives and places on the asset map
// (and, through one more Kind, events): upload, re-encoding without
// metadata, storage in PostgreSQL, serving with long cache headers, and
// removal by the subject's owners. Moderation (reports, hiding) goes
// through internal/moderation like every other kind of content.
package photo

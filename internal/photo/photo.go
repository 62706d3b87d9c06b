// Package photo holds the photos of initiatives, events and places on the
// asset map: upload, re-encoding without metadata, storage in PostgreSQL,
// serving with long cache headers, and removal by the subject's owners.
// Moderation (reports, hiding) goes through internal/moderation like every
// other kind of content.
package photo

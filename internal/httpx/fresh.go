package httpx

import "context"

type freshKey struct{}

// WithFreshReads marks ctx as belonging to a client that changed something a
// moment ago: its reads go to the primary database and around the page
// cache, so that it sees its own write at once, however far a replica or a
// cached page lags behind (app's readYourWrites middleware sets it).
func WithFreshReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, freshKey{}, true)
}

// FreshReads reports whether reads for ctx must see the latest writes.
func FreshReads(ctx context.Context) bool {
	v, _ := ctx.Value(freshKey{}).(bool)
	return v
}

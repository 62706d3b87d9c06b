package signedlink_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/signedlink"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestSignAndVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testkit.NewPool(t)
	s := signedlink.New(pool)
	now := time.Now()
	tok, err := s.Sign(ctx, "unsubscribe", "42:aanbod", now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// A second instance on the same database shares the key.
	if got, err := signedlink.New(pool).Verify(ctx, "unsubscribe", tok, now); err != nil || got != "42:aanbod" {
		t.Fatalf("verify on another instance: %q, %v", got, err)
	}
	expired, err := s.Sign(ctx, "unsubscribe", "42:aanbod", now.Add(-time.Second))
	if err != nil {
		t.Fatal(err)
	}
	body, sig, _ := strings.Cut(tok, ".")
	for _, c := range []struct {
		name, purpose, token string
		want                 error
		status               int
	}{
		{"other purpose", "confirm-email", tok, signedlink.ErrInvalid, http.StatusNotFound},
		{"payload changed", "unsubscribe", "NDM6YWFuYm9k." + sig, signedlink.ErrInvalid, http.StatusNotFound},
		{"signature cut", "unsubscribe", tok[:len(tok)-2], signedlink.ErrInvalid, http.StatusNotFound},
		{"not a token", "unsubscribe", body, signedlink.ErrInvalid, http.StatusNotFound},
		{"empty", "unsubscribe", "", signedlink.ErrInvalid, http.StatusNotFound},
		{"expired", "unsubscribe", expired, signedlink.ErrExpired, http.StatusGone},
	} {
		_, err := s.Verify(ctx, c.purpose, c.token, now)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", c.name, err, c.want)
		}
		if status, _, ok := signedlink.Refusal(err); !ok || status != c.status {
			t.Errorf("%s: refusal %d %v, want %d", c.name, status, ok, c.status)
		}
	}
	if _, err := s.Sign(ctx, "unsubscribe", "a.b", now); err == nil {
		t.Error("a payload with a dot was signed")
	}
	if _, _, ok := signedlink.Refusal(errors.New("database down")); ok {
		t.Error("another error counted as a refused link")
	}
}

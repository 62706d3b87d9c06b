package account

import (
	"encoding/gob"
	"reflect"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

type otherType struct{ N int }

func TestSessionCodec(t *testing.T) {
	deadline := time.Date(2026, 12, 6, 10, 30, 0, 123, time.UTC)
	values := map[string]any{
		"userID": int64(42), "pwChanged": int64(1765000000123456), "flash": "Opgeslagen.", "remember": true,
		"off": false, "count": 7, "key": []byte{0, 1, 0xb7, 0xff}, "codes": []string{"abcd-efgh", ""},
		"until": time.Unix(0, 1765000000123456789), "": "lege sleutel",
	}
	c := SessionCodec{}
	b, err := c.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != codecMark {
		t.Fatalf("plain values were not written in the binary form")
	}
	for range 20 {
		if again, _ := c.Encode(deadline, values); string(again) != string(b) {
			t.Fatal("the same session encoded to different bytes")
		}
	}
	gotDeadline, got, err := c.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !gotDeadline.Equal(deadline) || !reflect.DeepEqual(normalise(got), normalise(values)) {
		t.Errorf("round trip:\n got %v %#v\nwant %v %#v", gotDeadline, got, deadline, values)
	}
	// Every cut-off prefix is an error, never a panic or a shorter session.
	for i := 1; i < len(b); i++ {
		if _, _, err := c.Decode(b[:i]); err == nil {
			t.Errorf("a session cut after %d of %d bytes decoded without error", i, len(b))
		}
	}
	if _, _, err := c.Decode(append(b[:len(b):len(b)], 0)); err == nil {
		t.Error("trailing bytes decoded without error")
	}

	// Sessions written with gob (before this codec) are still read.
	old, err := scs.GobCodec{}.Encode(deadline, map[string]any{"userID": int64(42), "flash": "Hallo"})
	if err != nil {
		t.Fatal(err)
	}
	if _, got, err := c.Decode(old); err != nil || got["userID"] != int64(42) || got["flash"] != "Hallo" {
		t.Errorf("gob session: %v %v", got, err)
	}
	// Any other type makes the session go to gob, and back.
	gob.Register(otherType{})
	mixed := map[string]any{"userID": int64(1), "x": otherType{N: 3}}
	b, err = c.Encode(deadline, mixed)
	if err != nil {
		t.Fatal(err)
	}
	if b[0] == codecMark {
		t.Error("a session with another type was written in the binary form")
	}
	if _, got, err := c.Decode(b); err != nil || !reflect.DeepEqual(got, mixed) {
		t.Errorf("gob fallback: %v %v", got, err)
	}
}

// normalise makes times comparable with reflect.DeepEqual.
func normalise(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if tm, ok := v.(time.Time); ok {
			v = tm.UnixNano()
		}
		out[k] = v
	}
	return out
}

func BenchmarkSessionCodec(b *testing.B) {
	values := map[string]any{"userID": int64(42), "pwChanged": int64(1765000000123456)}
	deadline := time.Now()
	for _, c := range []struct {
		name  string
		codec scs.Codec
	}{{"binair", SessionCodec{}}, {"gob", scs.GobCodec{}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				data, err := c.codec.Encode(deadline, values)
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := c.codec.Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

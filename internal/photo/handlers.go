package photo

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Handler serves the photo pages, uploads, removal and the images.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
}

// NewHandler returns the photo handler.
func NewHandler(store *Store, sessions *scs.SessionManager) *Handler {
	return &Handler{store: store, sessions: sessions}
}

func viewerOf(v *httpx.Viewer) Viewer {
	if v == nil {
		return Viewer{}
	}
	return Viewer{ID: v.ID, Admin: v.Has(role.Admin)}
}

// visible loads subject id of kind k from the route; one the viewer may not
// see is not found (anonymous visitors are sent to log in first).
func (h *Handler) visible(r *http.Request, k Kind) (Subject, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Subject{}, err
	}
	v := httpx.ViewerFrom(r.Context())
	sub, err := h.store.Subject(r.Context(), k, id, viewerOf(v))
	switch {
	case err != nil:
		return Subject{}, err
	case !sub.Visible && v == nil:
		return Subject{}, httpx.ErrUnauthorized
	case !sub.Visible:
		return Subject{}, ErrNotFound
	}
	return sub, nil
}

// Form is the upload form's kept input (the file itself cannot be kept).
type Form struct {
	Alt string
	Key string // idempotency key: a double submit adds one photo
}

// PageView is a subject's photo page.
type PageView struct {
	Subject  Subject
	Photos   []Photo
	LoggedIn bool
	Form     Form
}

// Full reports whether the subject has its maximum number of photos.
func (v PageView) Full() bool { return len(v.Photos) >= MaxPhotos }

// Page shows the photos of a subject of kind k, with the upload form and
// remove buttons for whoever manages it.
func (h *Handler) Page(k Kind) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sub, err := h.visible(r, k)
		if err != nil {
			return err
		}
		return h.render(w, r, http.StatusOK, sub, Form{Key: uuid.New()}, nil)
	}
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, sub Subject, f Form, errs validate.Errors) error {
	photos, err := h.store.List(r.Context(), sub)
	if err != nil {
		return err
	}
	if errs == nil {
		errs = validate.Errors{}
	}
	v := PageView{Subject: sub, Photos: photos, LoggedIn: httpx.ViewerFrom(r.Context()) != nil, Form: f}
	return httpx.Render(w, r, status, PhotosPage(httpx.PageFor(r, "Foto's van "+sub.Title), v, errs))
}

// upload is what the multipart form brought.
type upload struct {
	Form
	Data    []byte
	FileErr error // ErrEmptyFile or ErrTooLarge; otherwise Data holds the file
}

// UploadTime is how long an upload may take to arrive: 10 MB at about
// 300 kbit/s.
const UploadTime = 5 * time.Minute

// textLimit caps a text field of the upload form (alt text is 250 characters).
const textLimit = 4 << 10

// readUpload streams the multipart body: the text fields (sent before the
// file, in the form's order) and at most MaxBytes of the file. A larger
// file is read to its end and dropped, so the browser gets the 422 page
// rather than a broken connection; past the route's body limit (MaxUpload)
// the rest of the body is lost, but the text fields are already kept.
func readUpload(r *http.Request) (upload, error) {
	u := upload{FileErr: ErrEmptyFile}
	mr, err := r.MultipartReader()
	if errors.Is(err, http.ErrNotMultipart) {
		// A form sent without its file (not as multipart): no file chosen.
		if err := r.ParseForm(); err != nil {
			return u, httpx.ErrBadRequest
		}
		u.Alt, u.Key = r.PostForm.Get("alt"), r.PostForm.Get("sleutel")
		return u, nil
	}
	if err != nil {
		return u, httpx.ErrBadRequest
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return u, nil
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			u.FileErr = ErrTooLarge
			return u, nil
		}
		if err != nil {
			return u, httpx.ErrBadRequest
		}
		switch part.FormName() {
		case "foto":
			data, err := io.ReadAll(io.LimitReader(part, MaxBytes+1))
			switch {
			case errors.As(err, &tooBig):
				u.FileErr = ErrTooLarge
				return u, nil
			case err != nil:
				return u, httpx.ErrBadRequest
			case len(data) > MaxBytes:
				u.FileErr = ErrTooLarge
				if _, err := io.Copy(io.Discard, part); err != nil {
					return u, nil // over the body limit: what we have is enough
				}
			case len(data) > 0:
				u.Data, u.FileErr = data, nil
			}
		case "alt", "sleutel":
			b, err := io.ReadAll(io.LimitReader(part, textLimit))
			if err != nil {
				return u, httpx.ErrBadRequest
			}
			if part.FormName() == "alt" {
				u.Alt = string(b)
			} else {
				u.Key = string(b)
			}
		default:
			if _, err := io.Copy(io.Discard, io.LimitReader(part, textLimit)); err != nil {
				return u, httpx.ErrBadRequest
			}
		}
	}
}

// Upload adds a photo to a subject of kind k: the owners' form, a
// multipart POST that works without JavaScript.
func (h *Handler) Upload(k Kind) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sub, err := h.visible(r, k)
		if err != nil {
			return err
		}
		if !sub.Manage {
			return httpx.ErrForbidden
		}
		// The server reads a request in 30 s; 10 MB from a phone on a slow
		// connection takes longer, so this route gets more time.
		rc := http.NewResponseController(w)
		if err := rc.SetReadDeadline(time.Now().Add(UploadTime)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		if err := rc.SetWriteDeadline(time.Now().Add(UploadTime + time.Minute)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		up, err := readUpload(r)
		if err != nil {
			return err
		}
		if !uuid.Valid(up.Key) {
			if !errors.Is(up.FileErr, ErrTooLarge) {
				return httpx.ErrBadRequest
			}
			up.Key = uuid.New() // the key was lost with the rest of an oversized body
		}
		errs := validate.Errors{}
		errs.Check(strings.TrimSpace(up.Alt) != "", "alt", msgAltMissing)
		alt := errs.Text("alt", up.Alt, validate.Rule{Required: true, Max: MaxAlt})
		var p Processed
		if up.FileErr != nil {
			errs.Add("foto", uploadMessage(up.FileErr))
		} else if p, err = Process(up.Data); err != nil {
			errs.Add("foto", uploadMessage(err))
		}
		v := viewerOf(httpx.ViewerFrom(r.Context()))
		if errs.Valid() {
			var added bool
			added, err = h.store.Add(r.Context(), k, sub.ID, v, alt, up.Key, p)
			switch {
			case errors.Is(err, ErrFull):
				errs.Add("foto", msgFull)
			case err != nil:
				return err
			case !added:
				httpx.Flash(h.sessions, r, flashDuplicate)
				return httpx.Redirect(w, r, sub.PhotosPath())
			default:
				httpx.Flash(h.sessions, r, flashAdded)
				return httpx.Redirect(w, r, sub.PhotosPath())
			}
		}
		errs.Add("foto", msgChooseAgain)
		return h.render(w, r, http.StatusUnprocessableEntity, sub, Form{Alt: up.Alt, Key: up.Key}, errs)
	}
}

// Remove deletes a photo: the subject's owners (and administrators) only,
// checked in the store's transaction.
func (h *Handler) Remove(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	sub, err := h.store.Remove(r.Context(), id, viewerOf(httpx.ViewerFrom(r.Context())))
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashRemoved)
	return httpx.Redirect(w, r, sub.PhotosPath())
}

// immutable is the cache header of a public photo: the URL carries the
// hash of the bytes, so they never change.
const immutable = "public, max-age=31536000, immutable"

// Serve sends one stored width of a photo, /fotos/{id}/{width}-{hash}.jpg
// (or .png). A photo anyone may see is cached for a year; a hidden one, or
// one of a members-only or hidden subject, follows its subject's
// visibility and stays out of shared caches.
func (h *Handler) Serve(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	width, hash, ext, ok := parseFile(chi.URLParam(r, "file"))
	if !ok {
		return httpx.ErrNotFound
	}
	img, err := h.store.Image(r.Context(), id, width, hash, viewerOf(httpx.ViewerFrom(r.Context())))
	if err != nil {
		return err
	}
	if (ext == "png") != (img.ContentType == "image/png") {
		return httpx.ErrNotFound
	}
	hd := w.Header()
	hd.Set("Content-Type", img.ContentType)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(img.Data)))
	if img.Public {
		hd.Set("Cache-Control", immutable)
	} else {
		hd.Set("Cache-Control", "private, no-store")
	}
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(img.Data)
	if httpx.ClientGone(r, err) {
		return nil
	}
	return err
}

// parseFile reads "{width}-{16 hex digits}.jpg|png".
func parseFile(s string) (width int, hash, ext string, ok bool) {
	name, ext, found := strings.Cut(s, ".")
	if !found || (ext != "jpg" && ext != "png") {
		return 0, "", "", false
	}
	ws, hash, found := strings.Cut(name, "-")
	if !found || len(hash) != 16 || strings.Trim(hash, "0123456789abcdef") != "" {
		return 0, "", "", false
	}
	width, err := strconv.Atoi(ws)
	if err != nil || width <= 0 || width > 4096 || strconv.Itoa(width) != ws {
		return 0, "", "", false
	}
	return width, hash, ext, true
}

// Gallery is the photos of a subject of kind k for its own page, with a
// link to the photo page for whoever manages it; nil when there is nothing
// to show.
func (h *Handler) Gallery(ctx context.Context, k Kind, id int64, v *httpx.Viewer) (templ.Component, error) {
	sub, err := h.store.Subject(ctx, k, id, viewerOf(v))
	if errors.Is(err, ErrNotFound) || (err == nil && !sub.Visible) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	photos, err := h.store.List(ctx, sub)
	if err != nil {
		return nil, err
	}
	if len(photos) == 0 && !sub.Manage {
		return nil, nil
	}
	return GallerySection(sub, photos), nil
}

// EventPhotos is the gallery on an event's page (event.Photos).
func (h *Handler) EventPhotos(ctx context.Context, id int64, v *httpx.Viewer) (templ.Component, error) {
	return h.Gallery(ctx, Event, id, v)
}

// InitiativePhotos is the gallery on an initiative's page
// (initiative.Photos).
func (h *Handler) InitiativePhotos(ctx context.Context, id int64, v *httpx.Viewer) (templ.Component, error) {
	return h.Gallery(ctx, Initiative, id, v)
}

package initiative

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// inviteMinDuration is the least time an invitation takes to answer. The
// store does the same queries for every address, but only an account is
// notified; waiting until this much time has passed hides that small
// difference, so the answer's timing does not tell who has an account.
const inviteMinDuration = 200 * time.Millisecond

// Invite invites a co-owner by e-mail address. The answer is the same
// whether or not the address has an account.
func (h *Handler) Invite(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.loadManaged(r)
	if err != nil {
		return err
	}
	if i.Hidden() {
		// Hidden initiatives ask for nothing until a moderator shows them again.
		return httpx.ErrForbidden
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := PageForms{Posted: pageFormOwner, Errs: validate.Errors{}}
	f.OwnerEmail = f.Errs.Email("eigenaar_email", r.PostForm.Get("eigenaar_email"))
	if f.Errs.Valid() {
		start := time.Now()
		err = h.store.Invite(r.Context(), i.ID, f.OwnerEmail, a.viewer.ID, a.admin, a.audited())
		switch {
		case errors.Is(err, ErrTooManyInvitations):
			f.Errs.Add("eigenaar_email", msgTooManyInvitations)
		case err != nil:
			return err
		}
		evenOut(r, start, inviteMinDuration)
	}
	if !f.Errs.Valid() {
		return h.renderDetail(w, r, http.StatusUnprocessableEntity, i, a, f)
	}
	httpx.Flash(h.sessions, r, msgInvited)
	return httpx.Redirect(w, r, initiativeURL(i.ID)+"#eigenaren")
}

// evenOut waits until at least d has passed since start (or the request
// is cancelled).
func evenOut(r *http.Request, start time.Time, d time.Duration) {
	wait := time.NewTimer(d - time.Since(start))
	defer wait.Stop()
	select {
	case <-wait.C:
	case <-r.Context().Done():
	}
}

// formID reads a positive id from a form field.
func formID(r *http.Request, field string) (int64, error) {
	if err := r.ParseForm(); err != nil {
		return 0, httpx.ErrBadRequest
	}
	id, err := strconv.ParseInt(r.PostForm.Get(field), 10, 64)
	if err != nil || id <= 0 {
		return 0, httpx.ErrBadRequest
	}
	return id, nil
}

// WithdrawInvitation withdraws an open invitation (owners and administrators).
func (h *Handler) WithdrawInvitation(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.loadManaged(r)
	if err != nil {
		return err
	}
	invitation, err := formID(r, "uitnodiging")
	if err != nil {
		return err
	}
	err = h.store.Withdraw(r.Context(), i.ID, invitation, a.viewer.ID, a.admin, a.audited())
	return h.invitationAnswered(w, r, err, msgWithdrawn, initiativeURL(i.ID)+"#eigenaren")
}

// invitationAnswered ends a change to an invitation (err from the store):
// back to the page with msg, or with the message that the invitation is no
// longer open.
func (h *Handler) invitationAnswered(w http.ResponseWriter, r *http.Request, err error, msg, back string) error {
	switch {
	case errors.Is(err, ErrNoInvitation):
		httpx.FlashError(h.sessions, r, msgNoInvitation)
	case err != nil:
		return err
	default:
		httpx.Flash(h.sessions, r, msg)
	}
	return httpx.Redirect(w, r, back)
}

// AcceptInvitation makes the viewer co-owner, when they have an open
// invitation (checked in the SQL, against their confirmed address).
func (h *Handler) AcceptInvitation(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.load(r)
	if err != nil {
		return err
	}
	err = h.store.Accept(r.Context(), i.ID, a.viewer.ID)
	return h.invitationAnswered(w, r, err, msgAccepted, initiativeURL(i.ID)+"#eigenaren")
}

// DeclineInvitation declines the viewer's open invitation. It does not
// load the initiative: declining works even when it was hidden meanwhile.
func (h *Handler) DeclineInvitation(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	back := initiativeURL(id)
	if r.PostForm.Get("terug") == "account" {
		back = "/account"
	}
	err = h.store.Decline(r.Context(), id, httpx.ViewerFrom(r.Context()).ID)
	return h.invitationAnswered(w, r, err, msgDeclined, back)
}

// RemoveOwner takes an owner off the initiative: an owner steps down
// (their own id) or removes a co-owner; an administrator removes any
// owner. The last owner stays.
func (h *Handler) RemoveOwner(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.loadManaged(r)
	if err != nil {
		return err
	}
	owner, err := formID(r, "eigenaar")
	if err != nil {
		return err
	}
	self := owner == a.viewer.ID
	err = h.store.RemoveOwner(r.Context(), i.ID, owner, a.viewer.ID, a.admin, a.audited())
	switch {
	case errors.Is(err, ErrLastOwner):
		httpx.FlashError(h.sessions, r, msgLastOwner)
	case errors.Is(err, ErrNotOwner):
		httpx.FlashError(h.sessions, r, msgNotOwner)
	case err != nil:
		return err
	case self:
		httpx.Flash(h.sessions, r, msgSteppedDown)
		if i.Hidden() && !a.admin {
			return httpx.Redirect(w, r, "/account") // the page is no longer theirs to see
		}
	default:
		httpx.Flash(h.sessions, r, msgOwnerRemoved)
	}
	return httpx.Redirect(w, r, initiativeURL(i.ID)+"#eigenaren")
}

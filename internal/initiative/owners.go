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
	f := PageForms{Errs: validate.Errors{}}
	f.OwnerEmail = f.Errs.Email("eigenaar_email", r.PostForm.Get("eigenaar_email"))
	if f.Errs.Valid() {
		start := time.Now()
		err = h.Store.Invite(r.Context(), i.ID, f.OwnerEmail, a.viewer.ID, a.admin, a.audited())
		switch {
		case errors.Is(err, ErrTooManyInvitations):
			f.Errs.Add("eigenaar_email", msgTooManyInvitations)
		case err != nil:
			return storeErr(err)
		}
		evenOut(r, start, inviteMinDuration)
	}
	if !f.Errs.Valid() {
		return h.renderDetail(w, r, http.StatusUnprocessableEntity, i, a, f)
	}
	httpx.Flash(h.Sessions, r, msgInvited)
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
	err = h.Store.Withdraw(r.Context(), i.ID, invitation, a.viewer.ID, a.admin, a.audited())
	switch {
	case errors.Is(err, ErrNoInvitation):
		httpx.FlashError(h.Sessions, r, msgNoInvitation)
	case err != nil:
		return storeErr(err)
	default:
		httpx.Flash(h.Sessions, r, msgWithdrawn)
	}
	return httpx.Redirect(w, r, initiativeURL(i.ID)+"#eigenaren")
}

// AcceptInvitation makes the viewer co-owner, when they have an open
// invitation (checked in the SQL, against their confirmed address).
func (h *Handler) AcceptInvitation(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.load(r)
	if err != nil {
		return err
	}
	err = h.Store.Accept(r.Context(), i.ID, a.viewer.ID)
	switch {
	case errors.Is(err, ErrNoInvitation):
		httpx.FlashError(h.Sessions, r, msgNoInvitation)
	case err != nil:
		return storeErr(err)
	default:
		httpx.Flash(h.Sessions, r, msgAccepted)
	}
	return httpx.Redirect(w, r, initiativeURL(i.ID)+"#eigenaren")
}

// DeclineInvitation declines the viewer's open invitation. It does not
// load the initiative: declining works even when it was hidden meanwhile.
func (h *Handler) DeclineInvitation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
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
	err = h.Store.Decline(r.Context(), id, httpx.ViewerFrom(r.Context()).ID)
	switch {
	case errors.Is(err, ErrNoInvitation):
		httpx.FlashError(h.Sessions, r, msgNoInvitation)
	case err != nil:
		return err
	default:
		httpx.Flash(h.Sessions, r, msgDeclined)
	}
	return httpx.Redirect(w, r, back)
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
	err = h.Store.RemoveOwner(r.Context(), i.ID, owner, a.viewer.ID, a.admin, a.audited())
	switch {
	case errors.Is(err, ErrLastOwner):
		httpx.FlashError(h.Sessions, r, msgLastOwner)
	case errors.Is(err, ErrNotOwner):
		httpx.FlashError(h.Sessions, r, msgNotOwner)
	case err != nil:
		return storeErr(err)
	case self:
		httpx.Flash(h.Sessions, r, msgSteppedDown)
		if i.Hidden() && !a.admin {
			return httpx.Redirect(w, r, "/account") // the page is no longer theirs to see
		}
	default:
		httpx.Flash(h.Sessions, r, msgOwnerRemoved)
	}
	return httpx.Redirect(w, r, initiativeURL(i.ID)+"#eigenaren")
}

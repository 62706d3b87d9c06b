package sso

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// AdminPath is where administrators configure the providers.
const AdminPath = "/beheer/inloggen-organisaties"

// ListView is the view model of the providers' list.
type ListView struct {
	Providers   []Provider
	RedirectURI string // to register at each provider
	CanSeal     bool
}

// AdminList lists the configured providers.
func (h *Handler) AdminList(w http.ResponseWriter, r *http.Request) error {
	list, err := h.store.List(r.Context())
	if err != nil {
		return err
	}
	p := httpx.PageFor(r, "Inloggen met je organisatie")
	p.Wide = true
	return httpx.Render(w, r, http.StatusOK, ListPage(p, ListView{Providers: list, RedirectURI: h.redirectURI(), CanSeal: h.secrets.CanSeal()}))
}

// Form is the provider form's input, kept when it is shown again.
type Form struct {
	Owner         string // "organisatie-ID" or "gemeente-ID"
	DisplayName   string
	Issuer        string
	ClientID      string
	Domains       string
	PasswordLogin bool
	TrustMFA      bool
}

// FormView is the view model of the provider form.
type FormView struct {
	ID          int64  // 0 for a new provider
	SecretKind  string // how the current secret is kept; "" for a new provider
	Form        Form
	Owners      []ui.Option
	RedirectURI string
	CanSeal     bool
}

// Action is where the form posts.
func (v FormView) Action() string {
	if v.ID == 0 {
		return AdminPath + "/nieuw"
	}
	return AdminPath + "/" + strconv.FormatInt(v.ID, 10)
}

// AdminNew shows the form for a new provider.
func (h *Handler) AdminNew(w http.ResponseWriter, r *http.Request) error {
	return h.renderForm(w, r, http.StatusOK, FormView{Form: Form{PasswordLogin: true}}, nil)
}

// AdminEdit shows a provider's form.
func (h *Handler) AdminEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := h.store.ByID(r.Context(), id)
	if err != nil {
		return err
	}
	f := Form{DisplayName: p.DisplayName, Issuer: p.Issuer, ClientID: p.ClientID, Domains: strings.Join(p.Domains, "\n"),
		PasswordLogin: p.PasswordLogin, TrustMFA: p.TrustMFA}
	if p.OrganisationID != nil {
		f.Owner = "organisatie-" + strconv.FormatInt(*p.OrganisationID, 10)
	} else if p.MunicipalityID != nil {
		f.Owner = "gemeente-" + strconv.FormatInt(*p.MunicipalityID, 10)
	}
	return h.renderForm(w, r, http.StatusOK, FormView{ID: id, SecretKind: p.SecretKind(), Form: f}, nil)
}

// AdminCreate saves a new provider.
func (h *Handler) AdminCreate(w http.ResponseWriter, r *http.Request) error {
	return h.save(w, r, Provider{})
}

// AdminUpdate saves a changed provider; an empty secret field keeps the
// stored secret.
func (h *Handler) AdminUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := h.store.ByID(r.Context(), id)
	if err != nil {
		return err
	}
	return h.save(w, r, p)
}

func (h *Handler) save(w http.ResponseWriter, r *http.Request, old Provider) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	pf := r.PostForm
	errs := validate.Errors{}
	f := Form{
		Owner:         pf.Get("eigenaar"),
		DisplayName:   errs.Text("naam", pf.Get("naam"), validate.Rule{Required: true, Max: 100}),
		Issuer:        errs.Text("issuer", pf.Get("issuer"), validate.Rule{Required: true, Max: 500}),
		ClientID:      errs.Text("client_id", pf.Get("client_id"), validate.Rule{Required: true, Max: 255}),
		Domains:       errs.Text("domeinen", pf.Get("domeinen"), validate.Rule{Required: true, Max: 2000, Multiline: true}),
		PasswordLogin: pf.Get("wachtwoord") == ui.Yes,
		TrustMFA:      pf.Get("mfa") == ui.Yes,
	}
	p := Provider{ID: old.ID, DisplayName: f.DisplayName, ClientID: f.ClientID, PasswordLogin: f.PasswordLogin, TrustMFA: f.TrustMFA,
		ClientSecret: old.ClientSecret}
	kind, rawID, _ := strings.Cut(f.Owner, "-")
	ownerID, err := strconv.ParseInt(rawID, 10, 64)
	switch {
	case err != nil || ownerID <= 0:
		errs.Add("eigenaar", "Kies de organisatie of gemeente waar deze inlogdienst bij hoort.")
	case kind == "organisatie":
		p.OrganisationID = &ownerID
	case kind == "gemeente":
		p.MunicipalityID = &ownerID
	default:
		errs.Add("eigenaar", "Kies de organisatie of gemeente waar deze inlogdienst bij hoort.")
	}
	if !errs.Has("issuer") {
		u, err := url.Parse(f.Issuer)
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "":
			errs.Add("issuer", "Vul de issuer-URL van de inlogdienst in, bijvoorbeeld https://login.microsoftonline.com/…/v2.0.")
		case u.Scheme == "http" && h.production:
			errs.Add("issuer", "Gebruik een https-adres: de inlogdienst geeft hierover het bewijs van wie iemand is.")
		}
		p.Issuer = f.Issuer
	}
	if !errs.Has("domeinen") {
		domains, bad := ParseDomains(f.Domains)
		switch {
		case len(bad) > 0:
			errs.Add("domeinen", "Dit is geen domeinnaam: "+strings.Join(bad, ", ")+". Vul domeinen in zoals utrecht.nl, één per regel.")
		case len(domains) == 0:
			errs.Add("domeinen", "Vul minstens één e-maildomein in.")
		case len(domains) > 50:
			errs.Add("domeinen", "Vul hoogstens 50 domeinen in.")
		}
		p.Domains = domains
	}
	typed, ok := validate.CleanText(pf.Get("client_secret"), false)
	switch {
	case !ok || len(typed) > 1000:
		errs.Add("client_secret", "Dit geheim bevat tekens die we niet kunnen opslaan, of is te lang.")
	case typed == "" && old.ID == 0:
		errs.Add("client_secret", "Vul het client secret in, of een verwijzing als env:SSO_SECRET_GEMEENTE_UTRECHT.")
	case typed != "":
		stored, msg := h.secrets.Prepare(typed)
		if msg != "" {
			errs.Add("client_secret", msg)
		}
		p.ClientSecret = stored
	}
	view := FormView{ID: old.ID, Form: f}
	if old.ID != 0 {
		view.SecretKind = old.SecretKind()
	}
	if !errs.Valid() {
		return h.renderForm(w, r, http.StatusUnprocessableEntity, view, errs)
	}
	id, err := h.store.Save(r.Context(), httpx.ViewerFrom(r.Context()).ID, p)
	var conflict DomainConflict
	if errors.As(err, &conflict) {
		errs.Add("domeinen", "Deze domeinen horen al bij een andere inlogdienst: "+strings.Join(conflict.Domains, ", ")+".")
		return h.renderForm(w, r, http.StatusUnprocessableEntity, view, errs)
	}
	if isOwnerGone(err) {
		errs.Add("eigenaar", "Deze organisatie of gemeente bestaat niet (meer).")
		return h.renderForm(w, r, http.StatusUnprocessableEntity, view, errs)
	}
	if err != nil {
		return err
	}
	h.forget(p.Issuer)
	h.forget(old.Issuer)
	httpx.Flash(h.sessions, r, "De inlogdienst "+p.DisplayName+" is opgeslagen.")
	return httpx.Redirect(w, r, AdminPath+"/"+strconv.FormatInt(id, 10))
}

// AdminDelete removes a provider; its accounts log in with a password again.
func (h *Handler) AdminDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := h.store.ByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.store.Delete(r.Context(), httpx.ViewerFrom(r.Context()).ID, id); err != nil {
		return err
	}
	h.forget(p.Issuer)
	httpx.Flash(h.sessions, r, "De inlogdienst "+p.DisplayName+" is verwijderd.")
	return httpx.Redirect(w, r, AdminPath)
}

func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, status int, v FormView, errs validate.Errors) error {
	orgs, gms, err := h.store.Owners(r.Context())
	if err != nil {
		return err
	}
	for _, o := range orgs {
		v.Owners = append(v.Owners, ui.Option{Value: "organisatie-" + strconv.FormatInt(o.ID, 10), Label: o.Name, Group: "Organisaties"})
	}
	for _, m := range gms {
		v.Owners = append(v.Owners, ui.Option{Value: "gemeente-" + strconv.FormatInt(m.ID, 10), Label: m.Name, Group: "Gemeenten"})
	}
	v.RedirectURI = h.redirectURI()
	v.CanSeal = h.secrets.CanSeal()
	title := "Nieuwe inlogdienst"
	if v.ID != 0 {
		title = "Inlogdienst " + v.Form.DisplayName
	}
	return httpx.Render(w, r, status, FormPage(httpx.PageFor(r, title), v, errs))
}

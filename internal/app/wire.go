package app

import (
	"slices"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/activity"
	"github.com/buurtkracht/buurtkracht/internal/apitoken"
	"github.com/buurtkracht/buurtkracht/internal/asset"
	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/contact"
	"github.com/buurtkracht/buurtkracht/internal/event"
	"github.com/buurtkracht/buurtkracht/internal/fund"
	"github.com/buurtkracht/buurtkracht/internal/gzipsplice"
	"github.com/buurtkracht/buurtkracht/internal/help"
	"github.com/buurtkracht/buurtkracht/internal/home"
	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/message"
	"github.com/buurtkracht/buurtkracht/internal/mfa"
	"github.com/buurtkracht/buurtkracht/internal/moderation"
	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/overview"
	"github.com/buurtkracht/buurtkracht/internal/pagecache"
	"github.com/buurtkracht/buurtkracht/internal/photo"
	"github.com/buurtkracht/buurtkracht/internal/privacy"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/buurtkracht/buurtkracht/internal/sso"
	"github.com/buurtkracht/buurtkracht/internal/statement"
)

// features holds every feature's handler. New builds them once, here, each
// from its constructor and the shared parts of App; routes.go only says
// which route goes to which handler and who may use it.
type features struct {
	home           *home.Handler
	account        *account.Handler
	activities     *activity.Handler
	assets         *asset.Handler
	contacts       *contact.Handler
	events         *event.Handler
	funds          *fund.Handler
	advice         *fund.AdviceHandler
	followUp       *fund.FollowUpHandler
	help           *help.Handler
	initiatives    *initiative.Handler
	messages       *message.Handler
	mfa            *mfa.Handler
	moderation     *moderation.Handler
	neighbourhoods *neighbourhood.Handler
	notices        *notify.Handler
	overviews      *overview.Handler
	photos         *photo.Handler
	privacy        *privacy.Handler
	signals        *signal.Handler
	sso            *sso.Handler
	statements     *statement.Handler
	tokens         *apitoken.Handler
}

// newFeatures builds the handlers. One audit log serves them all: it is a
// thin writer on the pool, and one is enough to find every caller.
func (a *App) newFeatures() features {
	log := audit.New(a.db)
	var f features
	f.home = home.NewHandler()
	f.account = account.NewHandler(a.cfg, a.accounts, a.sessions, a.mailer, log, a.signer)
	// Sign-on with the organisation's own provider completes the login
	// through the account handler, like a password does.
	f.sso = sso.NewHandler(a.cfg, sso.NewStore(a.db), a.accounts, f.account, a.sessions, log)
	// The second factor holds logins back until their code is shown; its
	// settings ask for the password, wrong ones counting with login's.
	f.mfa = mfa.NewHandler(a.cfg, a.db, a.sessions, a.accounts, f.account, log, f.account.Limits.LoginAccount)
	f.account.SecondFactor = f.mfa
	// The login page offers the passkey login of internal/mfa.
	account.SetLoginExtra(mfa.PasskeyLogin, []string{mfa.PasskeyScript()})
	f.activities = activity.NewHandler(activity.NewStore(a.db), a.sessions)
	f.signals = signal.NewHandler(signal.NewStore(a.db), a.sessions, log)
	f.contacts = contact.NewHandler(contact.NewStore(a.db), a.sessions, log)
	f.assets = asset.NewHandler(asset.NewStore(a.db), a.sessions, log)
	// Offering help on an initiative suggests people from the assets feature.
	// Its public list and the open-data API read from a replica when one is
	// set and current (internal/dbread), like the overview and /buurten.
	initiatives := initiative.NewStore(a.db)
	initiatives.ReadFrom(a.reads.Reader)
	f.initiatives = initiative.NewHandler(initiatives, a.sessions, f.assets, a.cfg.BaseURL)
	f.initiatives.ListCache = pagecache.NewMemo[gzipsplice.Body](a.cfg.PageCacheTTL, 1024)
	// Funds, the funding finder and the decisions on applications.
	f.funds = fund.NewHandler(fund.NewStore(a.db), a.sessions)
	// Photos of initiatives, events and places: shown on the initiative's
	// and the event's page.
	f.photos = photo.NewHandler(photo.NewStore(a.db), a.sessions)
	f.initiatives.Photos = f.photos
	// The agenda: its sections on the neighbourhood and initiative pages.
	f.events = event.NewHandler(event.NewStore(a.db), a.sessions, a.cfg.BaseURL)
	f.initiatives.Agenda = f.events
	// An event's page shows its photos.
	f.events.Photos = f.photos
	// Making a token, and downloading or deleting one's data, ask for the
	// password; wrong ones count with login's.
	f.tokens = apitoken.NewHandler(apitoken.NewStore(a.db), a.sessions, a.accounts, f.account.Limits.LoginAccount)
	// Deleting an account takes it off the agenda's events the agenda's way.
	f.privacy = privacy.NewHandler(privacy.NewStore(a.db, event.NewStore(a.db)), a.sessions, f.account.Limits.LoginAccount)
	f.notices = notify.NewHandler(notify.NewStore(a.db), a.sessions, a.signer)
	// Messages: participants only, checked in the SQL.
	messages := message.NewStore(a.db)
	f.messages = message.NewHandler(messages, a.sessions, log)
	// Help between neighbours: an answer starts a conversation in the
	// answer's own transaction.
	f.help = help.NewHandler(help.NewStore(a.db), a.sessions, messages)
	// Moderation reads and hides every kind of content with its own SQL;
	// suspending ends the person's sessions through the session store.
	f.moderation = moderation.NewHandler(moderation.NewStore(a.db, a.store), a.db, a.sessions, log)
	// The overview is a cross-feature read with its own SQL and caches.
	overviews := overview.NewStore(a.db)
	overviews.ReadFrom(a.reads.Reader)
	f.overviews = overview.NewHandler(overviews, log)
	// The neighbourhood page is the resident's hub: the features' sections
	// in this order, most useful first on a phone (issue 11): what's on,
	// initiatives and what they need, help asked and offered, who can help,
	// open signals, shared stories, the area's workers. Its figures and the
	// map follow them. Add a section by adding a line.
	nbStore := neighbourhood.NewStore(a.db)
	nbStore.ReadFrom(a.reads.Reader)
	workers := neighbourhood.NewWorkersSection(nbStore)
	f.neighbourhoods = neighbourhood.NewHandler(nbStore,
		f.events,      // "Wat is er te doen": the next events, and the agenda
		f.initiatives, // initiatives and what they need
		f.help,        // help asked and offered, near this neighbourhood
		f.assets,      // "Wie kan helpen?", also in the neighbouring neighbourhoods
		f.signals,     // open signals
		f.activities,  // activities and their shared stories
		workers,       // the community workers of the area, with a message button
	)
	// District maps change only with a CBS import: kept ten minutes, unless
	// PAGE_CACHE_TTL=0 turns the caches off.
	if a.cfg.PageCacheTTL > 0 {
		f.neighbourhoods.CacheMaps(10 * time.Minute)
	}
	// The account page shows the features' sections in this order.
	f.account.Sections = append(f.account.Sections, f.mfa, f.events, f.assets, f.tokens, f.signals, f.initiatives, f.help, f.privacy, f.notices)
	// What follows an application (issue 12): residents' advice, payouts,
	// the light account and the fund dashboard; one store for both.
	followUps := fund.NewFollowUpStore(a.db)
	f.advice = fund.NewAdviceHandler(followUps, a.sessions)
	f.followUp = fund.NewFollowUpHandler(followUps, a.sessions)
	// The decider sees the residents' advice beside the application.
	f.funds.Advice = f.advice
	// On the account page, last: accounts still to give, advice open to
	// the viewer, and the fund dashboards.
	f.account.Sections = append(f.account.Sections, f.followUp)
	// The statements' figures come from the settings and from the periods
	// these features fix in code.
	f.statements = statement.NewHandler(a.cfg, statement.Fixed{ResetLink: account.ResetValidity, ConfirmLink: notify.ConfirmValidity,
		InvitationDays: initiative.InvitationDays, TokenMaxDays: slices.Max(apitoken.Lifetimes)})
	return f
}

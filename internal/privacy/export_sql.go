package privacy

// The queries of the export, one per part, in the order of Export. Each
// takes the account id as $1 and returns one JSON value built by
// PostgreSQL: the part, or '[]' when there is nothing. Nested lists are
// correlated subqueries inside the same statement, so the whole export is a
// fixed number of queries however much a person has.
//
// What the export leaves out on purpose: password and token hashes, other
// people's e-mail addresses, names and private notes. Of other people it
// names only the co-owners of an initiative (shown on the initiative page
// anyway) and whoever opened the account's data (the audit trail exists to
// say exactly that).

const exportAccount = `
SELECT json_build_object(
	'id', a.id,
	'email', a.email::text,
	'display_name', a.display_name,
	'roles', a.roles,
	'home_neighbourhood', CASE WHEN hn.id IS NOT NULL THEN json_build_object('code', hn.code, 'name', hn.name) END,
	'organisation', CASE WHEN o.id IS NOT NULL THEN json_build_object('name', o.name, 'kind', o.kind) END,
	'municipality', CASE WHEN m.id IS NOT NULL THEN json_build_object('code', m.code, 'name', m.name) END,
	'work_areas', COALESCE((
		SELECT json_agg(json_build_object('code', n.code, 'name', n.name) ORDER BY n.code)
		FROM account_work_areas w JOIN neighbourhoods n ON n.id = w.neighbourhood_id
		WHERE w.account_id = a.id), '[]'),
	'created_at', a.created_at,
	'last_login_at', a.last_login_at,
	'password_changed_at', a.password_changed_at,
	'suspended_at', a.suspended_at,
	'suspended_reason', a.suspended_reason,
	'email_change', (
		SELECT json_build_object('old_email', c.old_email::text, 'new_email', c.new_email::text, 'requested_at', c.requested_at,
			'expires_at', c.expires_at, 'confirmed_at', c.confirmed_at)
		FROM email_changes c WHERE c.account_id = a.id))
FROM accounts a
LEFT JOIN neighbourhoods hn ON hn.id = a.home_neighbourhood_id
LEFT JOIN organisations o ON o.id = a.organisation_id
LEFT JOIN municipalities m ON m.id = a.municipality_id
WHERE a.id = $1`

const exportInitiativesOwned = `
SELECT COALESCE(json_agg(json_build_object(
	'id', i.id,
	'title', i.title,
	'summary', i.summary,
	'description', i.description,
	'municipality', m.name,
	'neighbourhoods', COALESCE((
		SELECT json_agg(json_build_object('code', n.code, 'name', n.name) ORDER BY n.code)
		FROM initiative_neighbourhoods x JOIN neighbourhoods n ON n.id = x.neighbourhood_id
		WHERE x.initiative_id = i.id), '[]'),
	'themes', i.themes,
	'form', i.form,
	'status', i.status,
	'visibility', i.visibility,
	'contact_preference', i.contact_preference,
	'contact_details', i.contact_details,
	'hidden_at', i.hidden_at,
	'hidden_reason', i.hidden_reason,
	'created_at', i.created_at,
	'updated_at', i.updated_at,
	'owner_since', o.added_at,
	'co_owners', COALESCE((
		SELECT json_agg(a.display_name ORDER BY c.added_at, a.id)
		FROM initiative_owners c JOIN accounts a ON a.id = c.account_id
		WHERE c.initiative_id = i.id AND c.account_id <> $1), '[]'),
	'supporter_count', (SELECT count(*) FROM initiative_supporters s WHERE s.initiative_id = i.id),
	'offer_count', (SELECT count(*) FROM initiative_offers f WHERE f.initiative_id = i.id),
	'needs', COALESCE((
		SELECT json_agg(json_build_object('need', d.need, 'details', d.details) ORDER BY d.need)
		FROM initiative_needs d WHERE d.initiative_id = i.id), '[]'),
	'updates', COALESCE((
		SELECT json_agg(json_build_object('body', u.body, 'created_at', u.created_at,
			'written_by_you', u.author_id IS NOT DISTINCT FROM $1) ORDER BY u.created_at, u.id)
		FROM initiative_updates u WHERE u.initiative_id = i.id), '[]'),
	'status_history', COALESCE((
		SELECT json_agg(json_build_object('from', h.from_status, 'to', h.to_status, 'note', h.note,
			'changed_at', h.changed_at, 'changed_by_you', h.changed_by IS NOT DISTINCT FROM $1) ORDER BY h.changed_at, h.id)
		FROM initiative_status_history h WHERE h.initiative_id = i.id), '[]'),
	'funding_requests', COALESCE((
		SELECT json_agg(json_build_object('fund', fu.name, 'amount_cents', r.amount_cents, 'purpose', r.purpose, 'budget', r.budget,
			'budget_lines', COALESCE((SELECT json_agg(json_build_object('what', l.what, 'amount_cents', l.amount_cents) ORDER BY l.position)
				FROM funding_request_lines l WHERE l.request_id = r.id), '[]'),
			'own_contribution_cents', r.own_contribution_cents, 'impact', r.impact, 'activity_on', r.activity_on,
			'status', r.status, 'created_at', r.created_at, 'submitted_by_you', r.created_by IS NOT DISTINCT FROM $1,
			'decided_at', r.decided_at, 'granted_cents', r.granted_cents, 'conditions', r.conditions, 'reason', r.reason) ORDER BY r.created_at, r.id)
		FROM funding_requests r JOIN funds fu ON fu.id = r.fund_id WHERE r.initiative_id = i.id), '[]')
) ORDER BY i.id), '[]')
FROM initiative_owners o
JOIN initiatives i ON i.id = o.initiative_id
JOIN municipalities m ON m.id = i.municipality_id
WHERE o.account_id = $1`

const exportInitiativesSupported = `
SELECT COALESCE(json_agg(json_build_object('initiative_id', i.id, 'title', i.title, 'joined_at', s.joined_at)
	ORDER BY s.joined_at, i.id), '[]')
FROM initiative_supporters s JOIN initiatives i ON i.id = s.initiative_id
WHERE s.account_id = $1`

// Invitations to become co-owner: those to the account's address (found by
// its hash, as the invitation keeps no readable address) and those it sent,
// without the invitee's address hint (someone else's).
const exportInitiativeInvitations = `
SELECT COALESCE(json_agg(json_build_object('initiative_id', i.id, 'initiative_title', i.title, 'direction', x.direction,
	'created_at', v.created_at, 'expires_at', v.expires_at) ORDER BY v.created_at, v.id, x.direction), '[]')
FROM accounts a
JOIN LATERAL (
	SELECT v.id, 'received' AS direction FROM initiative_invitations v
	WHERE v.email_hash = sha256(convert_to(lower(a.email::text), 'UTF8'))
	UNION ALL
	SELECT v.id, 'sent' FROM initiative_invitations v WHERE v.invited_by = a.id) x ON true
JOIN initiative_invitations v ON v.id = x.id
JOIN initiatives i ON i.id = v.initiative_id
WHERE a.id = $1`

const exportOffers = `
SELECT COALESCE(json_agg(json_build_object('initiative_id', i.id, 'initiative_title', i.title, 'need', f.need,
	'message', f.message, 'created_at', f.created_at) ORDER BY f.created_at, f.id), '[]')
FROM initiative_offers f JOIN initiatives i ON i.id = f.initiative_id
WHERE f.account_id = $1`

const exportUpdatesWritten = `
SELECT COALESCE(json_agg(json_build_object('initiative_id', i.id, 'initiative_title', i.title, 'body', u.body,
	'created_at', u.created_at) ORDER BY u.created_at, u.id), '[]')
FROM initiative_updates u JOIN initiatives i ON i.id = u.initiative_id
WHERE u.author_id = $1`

const exportReports = `
SELECT COALESCE(json_agg(json_build_object('initiative_id', i.id, 'initiative_title', i.title, 'reason', r.reason,
	'created_at', r.created_at) ORDER BY r.created_at, r.id), '[]')
FROM initiative_reports r JOIN initiatives i ON i.id = r.initiative_id
WHERE r.reporter_id = $1`

const exportFundingDecisions = `
SELECT COALESCE(json_agg(json_build_object('initiative_id', i.id, 'initiative_title', i.title,
	'amount_cents', r.amount_cents, 'purpose', r.purpose, 'status', r.status, 'decided_at', r.decided_at,
	'granted_cents', r.granted_cents, 'conditions', r.conditions, 'reason', r.reason) ORDER BY r.decided_at, r.id), '[]')
FROM funding_requests r JOIN initiatives i ON i.id = r.initiative_id
WHERE r.decided_by = $1`

const exportFunderStaff = `
SELECT COALESCE(json_agg(json_build_object('organisation', o.name, 'since', s.added_at)), '[]')
FROM funder_staff s JOIN organisations o ON o.id = s.organisation_id
WHERE s.account_id = $1`

const exportAssets = `
SELECT COALESCE(json_agg(json_build_object('id', a.id, 'kind', a.kind, 'place_type', a.place_type, 'name', a.name,
	'description', a.description, 'neighbourhood', json_build_object('code', n.code, 'name', n.name),
	'needs', a.needs, 'website', a.website, 'phone', a.phone, 'address', a.address, 'visibility', a.visibility,
	'hidden', a.hidden, 'hidden_reason', a.hidden_reason, 'created_at', a.created_at, 'updated_at', a.updated_at)
	ORDER BY a.created_at, a.id), '[]')
FROM assets a JOIN neighbourhoods n ON n.id = a.neighbourhood_id
WHERE a.created_by = $1`

const exportSignalsRaised = `
SELECT COALESCE(json_agg(json_build_object('id', s.id, 'title', s.title, 'description', s.description,
	'theme', s.theme, 'neighbourhood', json_build_object('code', n.code, 'name', n.name),
	'addressed_to', s.addressed_to, 'addressed_to_other', s.addressed_to_other, 'raised_as', s.raised_as,
	'is_public', s.is_public, 'status', s.status, 'created_at', s.created_at, 'updated_at', s.updated_at,
	'responses', COALESCE((
		SELECT json_agg(json_build_object('author_role', r.author_role, 'body', r.body, 'status_from', r.status_from,
			'status_to', r.status_to, 'created_at', r.created_at, 'written_by_you', r.author_id IS NOT DISTINCT FROM $1)
			ORDER BY r.created_at, r.id)
		FROM signal_responses r WHERE r.signal_id = s.id), '[]'))
	ORDER BY s.created_at, s.id), '[]')
FROM signals s JOIN neighbourhoods n ON n.id = s.neighbourhood_id
WHERE s.raised_by = $1`

const exportSignalResponsesWritten = `
SELECT COALESCE(json_agg(json_build_object('signal_id', s.id, 'signal_title', s.title, 'author_role', r.author_role,
	'body', r.body, 'status_from', r.status_from, 'status_to', r.status_to, 'created_at', r.created_at)
	ORDER BY r.created_at, r.id), '[]')
FROM signal_responses r JOIN signals s ON s.id = r.signal_id
WHERE r.author_id = $1`

// Signals the account said "Dit herken ik" of, and signals it follows.
const exportSignalsRecognised = `
SELECT COALESCE(json_agg(json_build_object('signal_id', s.id, 'signal_title', s.title, 'since', g.created_at)
	ORDER BY g.created_at, s.id), '[]')
FROM signal_recognitions g JOIN signals s ON s.id = g.signal_id
WHERE g.account_id = $1`

const exportSignalsFollowed = `
SELECT COALESCE(json_agg(json_build_object('signal_id', s.id, 'signal_title', s.title, 'since', f.created_at)
	ORDER BY f.created_at, s.id), '[]')
FROM signal_followers f JOIN signals s ON s.id = f.signal_id
WHERE f.account_id = $1`

const exportContacts = `
SELECT COALESCE(json_agg(json_build_object('id', c.id, 'occurred_at', c.occurred_at,
	'neighbourhood', json_build_object('code', n.code, 'name', n.name), 'place_type', c.place_type,
	'people_count', c.people_count, 'themes', c.themes, 'strategy', c.strategy, 'energy', c.energy,
	'concern', c.concern, 'note', c.note, 'note_erased_at', c.note_erased_at, 'follow_up', c.follow_up,
	'initiative', CASE WHEN i.id IS NOT NULL THEN json_build_object('id', i.id, 'title', i.title) END,
	'referral', c.referral, 'story', c.story, 'story_shared_at', c.story_shared_at,
	'created_at', c.created_at, 'updated_at', c.updated_at)
	ORDER BY c.occurred_at, c.id), '[]')
FROM contacts c
JOIN neighbourhoods n ON n.id = c.neighbourhood_id
LEFT JOIN initiatives i ON i.id = c.initiative_id
WHERE c.worker_id = $1`

const exportActivities = `
SELECT COALESCE(json_agg(json_build_object('id', a.id, 'title', a.title, 'date', a.date,
	'neighbourhood', json_build_object('code', n.code, 'name', n.name), 'worker_organised', a.worker_organised,
	'initiative', CASE WHEN i.id IS NOT NULL THEN json_build_object('id', i.id, 'title', i.title) END,
	'strategy', a.strategy, 'participant_count', a.participant_count, 'partners', a.partners,
	'outcome', a.outcome, 'note', a.note, 'note_written_at', a.note_written_at, 'story', a.story,
	'story_shared_at', a.story_shared_at, 'created_at', a.created_at, 'updated_at', a.updated_at)
	ORDER BY a.date, a.id), '[]')
FROM activities a
JOIN neighbourhoods n ON n.id = a.neighbourhood_id
LEFT JOIN initiatives i ON i.id = a.initiative_id
WHERE a.created_by = $1`

// The messages the account sent, with what their conversation is about;
// not the other participants' messages nor their names.
const exportMessagesSent = `
SELECT COALESCE(json_agg(json_build_object('conversation_id', c.id, 'about', c.subject_kind,
	'subject_title', c.subject_title, 'body', m.body, 'created_at', m.created_at) ORDER BY m.created_at, m.id), '[]')
FROM messages m JOIN conversations c ON c.id = m.conversation_id
WHERE m.sender_id = $1`

// Messages the account reported: the reason, not the reported text.
const exportMessageReports = `
SELECT COALESCE(json_agg(json_build_object('message_id', r.message_id, 'reason', r.reason, 'created_at', r.created_at)
	ORDER BY r.created_at, r.id), '[]')
FROM message_reports r WHERE r.reporter_id = $1`

// Signals, updates and assets the account reported: the reason, not the
// reported text.
const exportContentReports = `
SELECT COALESCE(json_agg(json_build_object('about', CASE WHEN r.signal_id IS NOT NULL THEN 'signaal'
	WHEN r.update_id IS NOT NULL THEN 'initiatiefbericht' WHEN r.help_request_id IS NOT NULL THEN 'burenhulp'
	WHEN r.photo_id IS NOT NULL THEN 'foto' WHEN r.event_id IS NOT NULL THEN 'bijeenkomst' ELSE 'hulpbron' END,
	'id', COALESCE(r.signal_id, r.update_id, r.asset_id, r.help_request_id, r.photo_id, r.event_id), 'reason', r.reason, 'created_at', r.created_at)
	ORDER BY r.created_at, r.id), '[]')
FROM reports r WHERE r.reporter_id = $1`

// Whether a second factor is on, since when, how many recovery codes are
// left, and the passkeys' names and dates: the secret, the codes' hashes
// and the passkeys' keys stay out (they are keys, not
// information about the person).
const exportTwoFactor = `
SELECT json_build_object('enabled', t.account_id IS NOT NULL, 'since', t.enabled_at,
	'recovery_codes_unused', (SELECT count(*) FROM mfa_recovery_codes c WHERE c.account_id = $1 AND c.used_at IS NULL),
	-- Passkeys by name and dates only: the keys and ids are for the login, not about the person.
	'passkeys', (SELECT COALESCE(json_agg(json_build_object('name', k.name, 'added_at', k.created_at,
		'last_used_at', k.last_used_at) ORDER BY k.created_at, k.id), '[]') FROM passkeys k WHERE k.account_id = $1))
FROM (SELECT $1::bigint AS id) a LEFT JOIN mfa_totp t ON t.account_id = a.id`

// The live sessions: device label, shortened network, start and last use.
const exportSessions = `
SELECT COALESCE(json_agg(json_build_object('device', m.device, 'network', m.place, 'started_at', m.created_at,
	'last_used_at', m.last_seen_at) ORDER BY m.created_at, m.id), '[]')
FROM session_meta m WHERE m.account_id = $1`

const exportAPITokens = `
SELECT COALESCE(json_agg(json_build_object('name', t.name, 'created_at', t.created_at,
	'last_used_at', t.last_used_at, 'revoked_at', t.revoked_at) ORDER BY t.created_at, t.id), '[]')
FROM api_tokens t WHERE t.account_id = $1`

const exportPasswordResets = `
SELECT COALESCE(json_agg(json_build_object('created_at', p.created_at, 'expires_at', p.expires_at,
	'used_at', p.used_at) ORDER BY p.created_at), '[]')
FROM password_resets p WHERE p.account_id = $1`

// Entries about the account itself and about what it made (its signals,
// assets and owned initiatives), with the name of whoever opened them.
const exportAuditAboutYou = `
SELECT COALESCE(json_agg(json_build_object('at', l.at, 'action', l.action, 'subject_type', l.subject_type,
	'subject_id', l.subject_id, 'by', COALESCE(a.display_name, '(verwijderd account)'), 'detail', l.detail)
	ORDER BY l.at, l.id), '[]')
FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id
WHERE (l.subject_type = 'account' AND l.subject_id = $1)
   OR (l.subject_type = 'signal' AND l.subject_id IN (SELECT id FROM signals WHERE raised_by = $1))
   OR (l.subject_type = 'asset' AND l.subject_id IN (SELECT id FROM assets WHERE created_by = $1))
   OR (l.subject_type = 'initiative' AND l.subject_id IN (SELECT initiative_id FROM initiative_owners WHERE account_id = $1))`

const exportAuditByYou = `
SELECT COALESCE(json_agg(json_build_object('at', l.at, 'action', l.action, 'subject_type', l.subject_type,
	'subject_id', l.subject_id, 'detail', l.detail) ORDER BY l.at, l.id), '[]')
FROM audit_log l WHERE l.actor_id = $1`

// Help the account asked for or offered between neighbours, with how many
// answered (not who: their names are in the messages' conversations).
const exportHelpRequests = `
SELECT COALESCE(json_agg(json_build_object('id', h.id, 'kind', h.kind, 'category', h.category, 'body', h.body,
	'neighbourhood', json_build_object('code', n.code, 'name', n.name), 'from', h.starts_on, 'until', h.ends_on,
	'status', h.status, 'closed_at', h.closed_at, 'created_at', h.created_at,
	'answers', (SELECT count(*) FROM help_responses x WHERE x.help_request_id = h.id),
	'hidden_at', h.hidden_at, 'hidden_reason', h.hidden_reason) ORDER BY h.created_at, h.id), '[]')
FROM help_requests h JOIN neighbourhoods n ON n.id = h.neighbourhood_id
WHERE h.author_id = $1`

// The help requests and offers the account answered: what and where, not
// the author's name.
const exportHelpAnswered = `
SELECT COALESCE(json_agg(json_build_object('help_request_id', h.id, 'kind', h.kind, 'category', h.category,
	'neighbourhood', n.name, 'answered_at', x.created_at) ORDER BY x.created_at, h.id), '[]')
FROM help_responses x JOIN help_requests h ON h.id = x.help_request_id
JOIN neighbourhoods n ON n.id = h.neighbourhood_id
WHERE x.responder_id = $1`

// The photos the person uploaded, with links to every stored width (the
// bytes are the platform's re-encoding: the original file, with its
// metadata, was never kept). The subject is named; who else owns it is not.
const exportPhotosUploaded = `
SELECT COALESCE(json_agg(json_build_object(
	'id', p.id,
	'about', CASE WHEN p.initiative_id IS NOT NULL THEN 'initiatief' WHEN p.asset_id IS NOT NULL THEN 'plek' ELSE 'bijeenkomst' END,
	'subject', COALESCE(i.title, a.name, e.title, ''),
	'alt_text', p.alt_text,
	'width', p.width,
	'height', p.height,
	'created_at', p.created_at,
	'hidden_at', p.hidden_at,
	'hidden_reason', p.hidden_reason,
	'links', COALESCE((SELECT json_agg('/fotos/' || p.id || '/' || v.width || '-' || p.hash
		|| CASE WHEN v.content_type = 'image/png' THEN '.png' ELSE '.jpg' END ORDER BY v.width)
		FROM photo_variants v WHERE v.photo_id = p.id), '[]'))
	ORDER BY p.created_at, p.id), '[]')
FROM photos p
LEFT JOIN initiatives i ON i.id = p.initiative_id
LEFT JOIN assets a ON a.id = p.asset_id
LEFT JOIN events e ON e.id = p.event_id
WHERE p.uploaded_by = $1`

// Events the account published (the agenda), with their neighbourhoods.
const exportEventsOrganised = `
SELECT COALESCE(json_agg(json_build_object('id', e.id, 'title', e.title, 'description', e.description,
	'starts_at', e.starts_at, 'ends_at', e.ends_at, 'place', e.place_text, 'visibility', e.visibility,
	'capacity', e.capacity, 'initiative_id', e.initiative_id, 'cancelled_at', e.cancelled_at,
	'cancel_message', e.cancel_message, 'created_at', e.created_at,
	'neighbourhoods', COALESCE((SELECT json_agg(n.code ORDER BY n.code) FROM event_neighbourhoods en
		JOIN neighbourhoods n ON n.id = en.neighbourhood_id WHERE en.event_id = e.id), '[]'))
	ORDER BY e.starts_at, e.id), '[]')
FROM events e WHERE e.created_by = $1`

// The account's sign-ups for events, waiting list included.
const exportEventSignUps = `
SELECT COALESCE(json_agg(json_build_object('event_id', e.id, 'event_title', e.title, 'starts_at', e.starts_at,
	'waiting_list', s.waiting, 'signed_up_at', s.created_at, 'moved_up_at', s.promoted_at)
	ORDER BY s.created_at, e.id), '[]')
FROM event_signups s JOIN events e ON e.id = s.event_id WHERE s.account_id = $1`

package privacy

// The follow-up of applications to funds (internal/fund): the advice a
// person gave on applications, and the light accounts they wrote for their
// initiative. Payouts are the funder's records, not the person's.

const exportFundingAdvice = `
SELECT COALESCE(json_agg(json_build_object('request_id', a.request_id, 'initiative_id', i.id, 'initiative_title', i.title,
	'fund', f.name, 'support', a.support, 'comment', a.comment, 'created_at', a.created_at)
	ORDER BY a.created_at, a.request_id), '[]')
FROM funding_advice a
JOIN funding_requests r ON r.id = a.request_id
JOIN initiatives i ON i.id = r.initiative_id
JOIN funds f ON f.id = r.fund_id
WHERE a.account_id = $1`

const exportFundingAccounts = `
SELECT COALESCE(json_agg(json_build_object('request_id', a.request_id, 'initiative_id', i.id, 'initiative_title', i.title,
	'fund', f.name, 'what_happened', a.what_happened, 'who_took_part', a.who_took_part, 'what_brought', a.what_brought,
	'spent_on', a.spent_on, 'submitted_at', a.submitted_at) ORDER BY a.submitted_at, a.request_id), '[]')
FROM funding_accounts a
JOIN funding_requests r ON r.id = a.request_id
JOIN initiatives i ON i.id = r.initiative_id
JOIN funds f ON f.id = r.fund_id
WHERE a.submitted_by = $1`

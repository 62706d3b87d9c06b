package contact

// Messages the tests look for, exported only to the test package.
var (
	MsgOutsideArea     = msgOutsideArea
	MsgNeighbourhood   = msgNeighbourhoodRequired
	MsgPlaceUnknown    = msgPlaceUnknown
	MsgStrategyReq     = msgStrategyRequired
	MsgStrategyUnknown = msgStrategyUnknown
	MsgPeopleRange     = msgPeopleRange
	MsgPeopleNumber    = msgPeopleNumber
	MsgThemeUnknown    = msgThemeUnknown
	MsgBadChars        = msgBadChars
	MsgMomentFuture    = msgMomentFuture
	MsgMomentPast      = msgMomentPast
	MsgMomentFormat    = msgMomentFormat
	MsgFollowUpUnknown = msgFollowUpUnknown
	MsgClientID        = msgClientID
	MsgStoryConfirm    = msgStoryConfirm
	FlashUndoExpired   = flashUndoExpired
)

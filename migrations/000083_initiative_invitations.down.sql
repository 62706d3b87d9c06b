-- Pending invitations have no place in the older schema: owners were added directly.
DROP TABLE initiative_invitations;

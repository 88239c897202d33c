package identity

import (
	"context"
	"slices"
	"time"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/bulk"
	"custos/internal/platform/validate"
)

var errTechAdmin = apperr.New(apperr.KindUnprocessable, "user.techAdminProtected",
	"The built-in tech_admin account cannot be deleted, deactivated, renamed or removed from tech_admins.")

// UpdateUser applies a patch guarded by the version the client saw.
func (s *Service) UpdateUser(ctx context.Context, id string, in UserPatch) (User, error) {
	var c validate.Checks
	if in.Version < 1 {
		c.Add("version", "required", "is required (the version you edited)")
	}
	if in.Login != nil {
		*in.Login = normLogin(*in.Login)
		checkLogin(&c, *in.Login)
	}
	if in.Email != nil {
		c.Email("email", *in.Email)
	}
	if in.DisplayName != nil {
		c.Text("display_name", *in.DisplayName, false, 200)
	}
	if in.UserTypeID != nil {
		c.UUID("user_type_id", *in.UserTypeID)
	}
	if in.GroupIDs != nil {
		for _, g := range *in.GroupIDs {
			c.UUID("group_ids", g)
		}
	}
	extra := ""
	if in.ExtraAttributes != nil {
		extra = checkExtra(&c, *in.ExtraAttributes)
	}
	if err := c.Err(); err != nil {
		return User{}, err
	}
	var out User
	err := s.tx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.updateUserTx(ctx, id, in, extra)
		return err
	})
	return out, err
}

// updateUserTx is the body of an update inside a transaction (shared with bulk actions).
func (s *Service) updateUserTx(ctx context.Context, id string, in UserPatch, extra string) (User, error) {
	before, err := s.users.get(ctx, id)
	if err != nil {
		return User{}, err
	}
	if before.Version != in.Version {
		return User{}, apperr.Conflict(before)
	}
	who := s.callerOf(ctx)
	if err := s.checkTarget(ctx, who, "update", id, before.Login); err != nil {
		return User{}, err
	}
	if in.GroupIDs != nil {
		if err := s.checkMemberships(ctx, who, "update", id, before.Login, before.GroupIDs, *in.GroupIDs); err != nil {
			return User{}, err
		}
	}
	row, err := s.users.row(ctx, id)
	if err != nil {
		return User{}, err
	}
	if err := s.applyUserPatch(ctx, &row, in, extra); err != nil {
		return User{}, err
	}
	if row.Login == TechAdminLogin || before.Login == TechAdminLogin {
		if err := s.guardTechAdmin(ctx, &row, in); err != nil {
			return User{}, err
		}
	}
	row.SearchText = userSearch(row.Login, row.Email, row.DisplayName)
	row.Version++
	row.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
	if err := s.users.update(ctx, &row, in.Version, before); err != nil {
		return User{}, err
	}
	if in.GroupIDs != nil {
		if err := s.users.setGroups(ctx, id, *in.GroupIDs); err != nil {
			return User{}, err
		}
	}
	out, err := s.users.get(ctx, id)
	if err != nil {
		return User{}, err
	}
	action := "update"
	if before.Active != out.Active {
		action = map[bool]string{true: "activate", false: "deactivate"}[out.Active]
	}
	return out, audit.Record(ctx, audit.Entry{Action: action, ResourceType: "user", ResourceID: id,
		ResourceName: out.Login, Before: before, After: out})
}

func (s *Service) applyUserPatch(ctx context.Context, row *userRow, in UserPatch, extra string) error {
	if in.Login != nil {
		row.Login = *in.Login
	}
	if in.Email != nil {
		row.Email = *in.Email
	}
	if in.DisplayName != nil {
		row.DisplayName = *in.DisplayName
	}
	if in.ClearUserType {
		row.UserTypeID = nil
	} else if in.UserTypeID != nil {
		row.UserTypeID = emptyToNil(in.UserTypeID)
	}
	wasActive, oldType := row.Active, row.UserTypeID
	if in.Active != nil {
		row.Active = *in.Active
	}
	if in.LDAPPrecheck != nil {
		row.LDAPPrecheck = *in.LDAPPrecheck
	}
	if extra != "" {
		row.ExtraAttributes = extra
	}
	var groups []string
	if in.GroupIDs != nil {
		groups = *in.GroupIDs
	}
	if err := s.checkRefs(ctx, row.UserTypeID, groups); err != nil {
		return err
	}
	typeChanged := (oldType == nil) != (row.UserTypeID == nil) || (oldType != nil && row.UserTypeID != nil && *oldType != *row.UserTypeID)
	if row.Active && row.UserTypeID != nil && (!wasActive || typeChanged) {
		return s.checkQuota(ctx, *row.UserTypeID, row.ID)
	}
	return nil
}

func (s *Service) guardTechAdmin(ctx context.Context, row *userRow, in UserPatch) error {
	if row.Login != TechAdminLogin || !row.Active {
		return errTechAdmin
	}
	if in.GroupIDs != nil {
		gid, err := s.groups.idOfCode(ctx, TechAdminGroup)
		if err != nil {
			return err
		}
		if !slices.Contains(*in.GroupIDs, gid) {
			return errTechAdmin
		}
	}
	return nil
}

// DeleteUser deletes a user.
func (s *Service) DeleteUser(ctx context.Context, id string) error {
	return s.tx(ctx, func(ctx context.Context) error { return s.deleteUser(ctx, id) })
}

func (s *Service) deleteUser(ctx context.Context, id string) error {
	before, err := s.users.get(ctx, id)
	if err != nil {
		return err
	}
	if err := s.checkTarget(ctx, s.callerOf(ctx), "delete", id, before.Login); err != nil {
		return err
	}
	if before.Login == TechAdminLogin {
		return errTechAdmin
	}
	if err := s.users.delete(ctx, id); err != nil {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: "user", ResourceID: id,
		ResourceName: before.Login, Before: before})
}

// BulkDeleteUsers deletes each id in its own transaction and reports per id.
func (s *Service) BulkDeleteUsers(ctx context.Context, ids []string) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, s.deleteUser)
}

// BulkSetActive activates or deactivates each id.
func (s *Service) BulkSetActive(ctx context.Context, ids []string, active bool) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, func(ctx context.Context, id string) error {
		u, err := s.users.get(ctx, id)
		if err != nil {
			return err
		}
		if u.Active == active {
			return nil
		}
		_, err = s.updateUserTx(ctx, id, UserPatch{Version: u.Version, Active: &active}, "")
		return err
	})
}

// PasswordReset is an administrator's reset of a user's local password.
type PasswordReset struct {
	Password string
	// RevokeTokens also revokes the user's personal access tokens.
	RevokeTokens bool
}

// SetPassword sets a user's local password (an administrator's reset). It ends every
// session of the user and, when asked, revokes their personal access tokens, in the
// same transaction as the new password.
func (s *Service) SetPassword(ctx context.Context, id string, in PasswordReset) error {
	u, err := s.GetUser(ctx, id)
	if err != nil {
		return err
	}
	var c validate.Checks
	checkPassword(&c, u.Login, in.Password)
	if err := c.Err(); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, in.Password)
	if err != nil {
		return err
	}
	var ended, revoked int64
	err = s.tx(ctx, func(ctx context.Context) error {
		u, err := s.users.get(ctx, id)
		if err != nil {
			return err
		}
		if err := s.checkTarget(ctx, s.callerOf(ctx), "password.set", id, u.Login); err != nil {
			return err
		}
		if err := s.users.setPassword(ctx, id, hash); err != nil {
			return err
		}
		if ended, err = s.endSessions(ctx, id, ""); err != nil {
			return err
		}
		if in.RevokeTokens && s.tokens != nil {
			if revoked, err = s.tokens.RevokePersonal(ctx, id); err != nil {
				return err
			}
		}
		return audit.Record(ctx, audit.Entry{Action: "password.set", ResourceType: "user", ResourceID: id,
			ResourceName: u.Login, After: map[string]any{"password": audit.Redacted, "sessions_ended": ended,
				"tokens_revoked": revoked}})
	})
	if err == nil && revoked > 0 {
		s.tokens.DropCache(ctx)
	}
	return err
}

// ChangeOwnPassword sets the signed-in user's own password (they proved the current
// one) and ends their other sessions: the one keepSessionID stays open.
func (s *Service) ChangeOwnPassword(ctx context.Context, userID, password, keepSessionID string) error {
	u, err := s.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	var c validate.Checks
	checkPassword(&c, u.Login, password)
	if err := c.Err(); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(ctx context.Context) error {
		if err := s.users.setPassword(ctx, userID, hash); err != nil {
			return err
		}
		ended, err := s.endSessions(ctx, userID, keepSessionID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "password.change", ResourceType: "user", ResourceID: userID,
			ResourceName: u.Login, After: map[string]any{"password": audit.Redacted, "sessions_ended": ended}})
	})
}

func (s *Service) endSessions(ctx context.Context, userID, keep string) (int64, error) {
	if s.sessions == nil {
		return 0, nil
	}
	return s.sessions.EndSessions(ctx, userID, keep)
}

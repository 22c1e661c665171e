//! Who may use the moderator commands (`/kb`): members with Manage Server (or
//! Administrator), or with one of the roles listed in `discord.moderator_roles`.

use serenity::all::{Member, Permissions};

/// What everyone else is told, privately.
pub const REFUSAL: &str = "Sorry, `/kb` is for moderators only (members with the Manage Server permission or a moderator role). If you spotted something wrong in an answer, please tell a moderator.";

/// Whether `member` (as sent with an interaction, whose `permissions` Discord
/// computed for the channel) may use `/kb`. Outside a guild there is no member,
/// and no moderator.
pub fn is_moderator(member: Option<&Member>, moderator_roles: &[u64]) -> bool {
    let Some(member) = member else {
        return false;
    };
    let by_permission = member
        .permissions
        .is_some_and(|p| p.contains(Permissions::MANAGE_GUILD) || p.administrator());
    let by_role = member
        .roles
        .iter()
        .any(|r| moderator_roles.contains(&r.get()));
    by_permission || by_role
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn member(permissions: u64, roles: &[u64]) -> Member {
        serde_json::from_value(json!({
            "user": {"id": "5", "username": "m", "discriminator": "0", "global_name": null, "avatar": null},
            "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "deaf": false, "mute": false, "flags": 0,
            "permissions": permissions.to_string(),
            "guild_id": "9",
        }))
        .unwrap()
    }

    #[test]
    fn manage_server_administrator_or_a_listed_role() {
        let manage = Permissions::MANAGE_GUILD.bits();
        let admin = Permissions::ADMINISTRATOR.bits();
        let send = Permissions::SEND_MESSAGES.bits();
        assert!(is_moderator(Some(&member(manage | send, &[])), &[]));
        assert!(is_moderator(Some(&member(admin, &[])), &[]));
        assert!(is_moderator(Some(&member(send, &[42])), &[42]));
        assert!(!is_moderator(Some(&member(send, &[43])), &[42]));
        assert!(!is_moderator(Some(&member(send, &[])), &[]));
        assert!(!is_moderator(None, &[42]));
    }
}

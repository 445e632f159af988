//! Counting votes: quorum is the share of voters who cast (abstaining counts); a vote passes
//! when approvals exceed `pass` of approve + reject. A vote closes as soon as no remaining
//! ballot could change its outcome. A voter is an agency (one vote each), or, in a case
//! opened before votes were per agency, a member.

use super::events::VoteOutcome;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tally {
    pub voters: usize,
    pub approve: usize,
    pub reject: usize,
    pub abstain: usize,
}

impl Tally {
    fn cast(&self) -> usize {
        self.approve + self.reject + self.abstain
    }

    fn quorum_met(&self, quorum: f64) -> bool {
        self.cast() as f64 >= quorum * self.voters as f64 - 1e-9
    }

    fn passes(approve: usize, reject: usize, pass: f64) -> bool {
        approve > 0 && approve as f64 > pass * (approve + reject) as f64 + 1e-9
    }

    /// The outcome if it can no longer change, before the deadline.
    pub fn settled(&self, quorum: f64, pass: f64) -> Option<VoteOutcome> {
        let remaining = self.voters.saturating_sub(self.cast());
        if remaining == 0 {
            return Some(self.at_deadline(quorum, pass));
        }
        if !self.quorum_met(quorum) {
            // Those yet to vote might never vote, so an unmet quorum decides nothing yet.
            return None;
        }
        if Self::passes(self.approve, self.reject + remaining, pass) {
            Some(VoteOutcome::Approved)
        } else if !Self::passes(self.approve + remaining, self.reject, pass) {
            Some(VoteOutcome::Rejected)
        } else {
            None
        }
    }

    /// The outcome when the deadline arrives with the ballots cast so far.
    pub fn at_deadline(&self, quorum: f64, pass: f64) -> VoteOutcome {
        // Nobody to vote means nobody decided: the vote lapses.
        if self.voters == 0 || !self.quorum_met(quorum) {
            VoteOutcome::Expired
        } else if Self::passes(self.approve, self.reject, pass) {
            VoteOutcome::Approved
        } else {
            VoteOutcome::Rejected
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(voters: usize, approve: usize, reject: usize, abstain: usize) -> Tally {
        Tally {
            voters,
            approve,
            reject,
            abstain,
        }
    }

    #[test]
    fn a_majority_that_cannot_be_overturned_closes_early() {
        assert_eq!(
            tally(5, 3, 0, 0).settled(0.5, 0.5),
            Some(VoteOutcome::Approved)
        );
        assert_eq!(tally(5, 2, 0, 0).settled(0.5, 0.5), None);
        assert_eq!(
            tally(5, 0, 3, 0).settled(0.5, 0.5),
            Some(VoteOutcome::Rejected)
        );
    }

    #[test]
    fn an_unmet_quorum_waits_and_then_expires() {
        assert_eq!(tally(10, 2, 0, 0).settled(0.5, 0.5), None);
        assert_eq!(
            tally(10, 2, 0, 0).at_deadline(0.5, 0.5),
            VoteOutcome::Expired
        );
        assert_eq!(
            tally(10, 2, 0, 3).at_deadline(0.5, 0.5),
            VoteOutcome::Approved
        );
    }

    #[test]
    fn a_tie_does_not_pass_and_abstentions_only_count_for_quorum() {
        assert_eq!(
            tally(4, 2, 2, 0).settled(0.5, 0.5),
            Some(VoteOutcome::Rejected)
        );
        assert_eq!(
            tally(3, 0, 0, 3).settled(0.5, 0.5),
            Some(VoteOutcome::Rejected)
        );
        assert_eq!(
            tally(3, 1, 0, 2).settled(0.5, 0.5),
            Some(VoteOutcome::Approved)
        );
    }
}

#[cfg(test)]
mod no_voters {
    use super::*;

    #[test]
    fn a_vote_with_nobody_to_vote_lapses() {
        let tally = Tally {
            voters: 0,
            approve: 0,
            reject: 0,
            abstain: 0,
        };
        assert_eq!(tally.at_deadline(0.5, 0.5), VoteOutcome::Expired);
        assert_eq!(tally.settled(0.5, 0.5), Some(VoteOutcome::Expired));
    }
}

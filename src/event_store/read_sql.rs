//! The statement behind `read_all`, for either backend's placeholders.
//!
//! Parameters: 1 = after, 2 = stream prefix, 3 = limit, 4… = the event types. With types, each
//! type is its own branch — `event_type = ? and position > ? order by position limit ?` reads
//! `events_by_type` in order and stops at the limit — and the branches are merged: a page
//! costs the same for a rare type deep in the log and for a common one. (One statement with
//! optional filters walks the log from `after` to the end; `event_type in (…)` sorts every
//! later match per page.) A stream prefix is a filter on the walk: an index range over a broad
//! prefix ("case-") would sort most of the log per page.

const COLUMNS: &str = "position, stream_id, version, event_id, event_type, event_version, \
                       data, metadata, recorded_at_us, prev_hash, hash";

/// How a backend writes the n-th parameter, and its stream-prefix test on parameter 2.
pub(crate) struct Dialect {
    pub placeholder: fn(usize) -> String,
    pub prefix_test: &'static str,
    /// A condition that holds and mentions parameter 2, for backends that want every
    /// parameter named (PostgreSQL infers its type from it).
    pub no_prefix: &'static str,
}

pub(crate) fn read_all_sql(types: usize, prefix: bool, dialect: &Dialect) -> String {
    let p = dialect.placeholder;
    let prefix = if prefix {
        dialect.prefix_test
    } else {
        dialect.no_prefix
    };
    let filter = |extra: &str| {
        let mut where_ = format!("position > {}", p(1));
        for condition in [extra, prefix] {
            if !condition.is_empty() {
                where_.push_str(" and ");
                where_.push_str(condition);
            }
        }
        format!(
            "select {COLUMNS} from events where {where_} order by position limit {}",
            p(3)
        )
    };
    if types == 0 {
        return filter("");
    }
    let branches: Vec<String> = (0..types)
        .map(|i| {
            format!(
                "select * from ({}) as branch{i}",
                filter(&format!("event_type = {}", p(4 + i)))
            )
        })
        .collect();
    format!(
        "{} order by position limit {}",
        branches.join(" union all "),
        p(3)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQLITE: Dialect = Dialect {
        placeholder: |n| format!("?{n}"),
        prefix_test: "substr(stream_id, 1, length(?2)) = ?2",
        no_prefix: "",
    };

    #[test]
    fn no_filter_is_a_walk_from_after() {
        let sql = read_all_sql(0, false, &SQLITE);
        assert!(sql.ends_with("from events where position > ?1 order by position limit ?3"));
    }

    #[test]
    fn each_type_is_a_branch_in_position_order() {
        let sql = read_all_sql(2, true, &SQLITE);
        assert_eq!(sql.matches("union all").count(), 1);
        assert!(sql.contains("event_type = ?4 and substr(stream_id"));
        assert!(sql.contains("event_type = ?5 and substr(stream_id"));
        assert!(sql.ends_with(") as branch1 order by position limit ?3"));
    }
}

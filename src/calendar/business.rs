//! [`BusinessCalendar`]: which Jalali days are working days, and counting them.
//!
//! Iranian government offices work Saturday to Wednesday; Thursday and Friday are off (each
//! year's table may say otherwise), and so are the official holidays of each year's
//! [`HolidayTable`] and the unplanned closures an administrator announces at run time. The
//! calendar refuses to answer for a year it has no table for, because "no holidays" would be
//! a silent, wrong answer.
//!
//! [`BusinessCalendar::version`] names the exact tables, rules and closures in use; it is
//! recorded with every resolved deadline so that a replay years later can tell which days
//! were off.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::Weekday;

use super::{CalendarError, Closure, Holiday, HolidayTable, JalaliDate};

/// The holiday tables shipped with daftar. The paths are relative to this file, which lives in
/// `src/calendar/`; the data lives in `workflows/calendar/` where administrators find it.
const BUILTIN_TABLES: [(&str, &str); 4] = [
    (
        "workflows/calendar/1404.json",
        include_str!("../../workflows/calendar/1404.json"),
    ),
    (
        "workflows/calendar/1405.json",
        include_str!("../../workflows/calendar/1405.json"),
    ),
    (
        "workflows/calendar/1406.json",
        include_str!("../../workflows/calendar/1406.json"),
    ),
    (
        "workflows/calendar/1407.json",
        include_str!("../../workflows/calendar/1407.json"),
    ),
];

/// Working days from per-year holiday tables. `Default` is an empty calendar, which knows no
/// year and so answers every question with [`CalendarError::NoHolidayTable`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BusinessCalendar {
    tables: BTreeMap<i32, HolidayTable>,
    pub(super) closures: BTreeMap<JalaliDate, Closure>,
}

impl BusinessCalendar {
    /// The calendar shipped with daftar: the official holidays of 1404 to 1407.
    ///
    /// # Panics
    /// Only if a shipped table is invalid, which the unit tests rule out.
    pub fn builtin() -> Self {
        let mut calendar = Self::default();
        for (file, json) in BUILTIN_TABLES {
            let table = HolidayTable::from_json(file, json)
                .unwrap_or_else(|error| panic!("shipped holiday table is invalid: {error}"));
            calendar.insert(table);
        }
        calendar
    }

    /// Loads every `*.json` file in `dir` (an administrator's own tables). Each file's year
    /// replaces that year's table; other years are kept. All or nothing: if any file is
    /// invalid, the calendar is left unchanged and the error names the file and entry.
    pub fn load_dir(&mut self, dir: impl AsRef<Path>) -> Result<(), CalendarError> {
        let dir = dir.as_ref();
        let mut loaded: BTreeMap<i32, (String, HolidayTable)> = BTreeMap::new();
        for path in json_files(dir)? {
            let file = path.display().to_string();
            let json = fs::read_to_string(&path).map_err(|source| CalendarError::Io {
                path: path.clone(),
                source,
            })?;
            let table = HolidayTable::from_json(&file, &json)?;
            if let Some((first, _)) = loaded.get(&table.year()) {
                return Err(CalendarError::DuplicateYear {
                    year: table.year(),
                    first: first.clone(),
                    second: file,
                });
            }
            loaded.insert(table.year(), (file, table));
        }
        if loaded.is_empty() {
            return Err(CalendarError::NoHolidayFiles {
                path: dir.to_path_buf(),
            });
        }
        for (_, table) in loaded.into_values() {
            self.insert(table);
        }
        Ok(())
    }

    /// Adds a year's table, returning the one it replaces.
    pub fn insert(&mut self, table: HolidayTable) -> Option<HolidayTable> {
        self.tables.insert(table.year(), table)
    }

    /// The table of `year`, if loaded.
    pub fn table(&self, year: i32) -> Option<&HolidayTable> {
        self.tables.get(&year)
    }

    /// Identifies the whole calendar: the per-year versions in year order, joined by `+`,
    /// e.g. `1404.1+1405.1+1406.1`, then `+closures.N` once N closures were announced;
    /// `none` when no table is loaded.
    pub fn version(&self) -> String {
        if self.tables.is_empty() {
            return "none".to_owned();
        }
        let mut versions: Vec<String> = self
            .tables
            .values()
            .map(HolidayTable::calendar_version)
            .collect();
        if !self.closures.is_empty() {
            versions.push(format!("closures.{}", self.closures.len()));
        }
        versions.join("+")
    }

    /// The years loaded, in order.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.tables.keys().copied()
    }

    /// The official holidays on `date`.
    pub fn holidays_on(&self, date: JalaliDate) -> Result<&[Holiday], CalendarError> {
        Ok(self.table_for(date)?.holidays_on(date))
    }

    /// Not on the year's weekend, not an official holiday and not closed.
    pub fn is_working_day(&self, date: JalaliDate) -> Result<bool, CalendarError> {
        Ok(self.day_off(date)?.is_none())
    }

    /// Why `date` is not a working day, or `None` when it is one. A closure is named before a
    /// holiday, and a holiday before the weekend: the most particular reason first.
    pub fn day_off(&self, date: JalaliDate) -> Result<Option<DayOff<'_>>, CalendarError> {
        let table = self.table_for(date)?;
        if let Some(closure) = self.closures.get(&date) {
            return Ok(Some(DayOff::Closure(closure)));
        }
        if let Some(holiday) = table.holidays_on(date).first() {
            return Ok(Some(DayOff::Holiday(holiday)));
        }
        let weekday = date.weekday();
        Ok(table
            .rules()
            .is_weekend(weekday)
            .then_some(DayOff::Weekend(weekday)))
    }

    /// The `n`-th working day after `date` (`date` itself is not counted), so
    /// `add_working_days(d, 1)` is the next working day. `n` must be at least 1.
    pub fn add_working_days(&self, date: JalaliDate, n: u32) -> Result<JalaliDate, CalendarError> {
        if n == 0 {
            return Err(CalendarError::ZeroWorkingDays);
        }
        let mut day = date;
        let mut remaining = n;
        // Terminates: each step either counts a working day or moves towards a year without a
        // table, which is an error.
        loop {
            day = day.next_day()?;
            if self.is_working_day(day)? {
                remaining -= 1;
                if remaining == 0 {
                    return Ok(day);
                }
            }
        }
    }

    /// `date` if it is a working day, else the closest working day before it.
    pub fn last_working_day_on_or_before(
        &self,
        date: JalaliDate,
    ) -> Result<JalaliDate, CalendarError> {
        let mut day = date;
        while !self.is_working_day(day)? {
            day = day.previous_day()?;
        }
        Ok(day)
    }

    pub(super) fn table_for(&self, date: JalaliDate) -> Result<&HolidayTable, CalendarError> {
        self.table(date.year())
            .ok_or(CalendarError::NoHolidayTable { year: date.year() })
    }
}

/// Why a day is not a working day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayOff<'a> {
    Weekend(Weekday),
    Holiday(&'a Holiday),
    Closure(&'a Closure),
}

/// The `*.json` files directly inside `dir`, sorted so that errors are reproducible.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, CalendarError> {
    let io_error = |source| CalendarError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        if path.is_file() && path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod shipped_tables;
#[cfg(test)]
mod tests;

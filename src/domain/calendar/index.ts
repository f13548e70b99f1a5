export {
  asCalendarDocument,
  bundledCalendar,
  type CalendarDayList,
  CalendarError,
  type CalendarProblem,
  type CalendarProblemPlace,
  type CalendarYear,
  type CalendarYearChanges,
  calendarYearChanges,
  loadCalendarFile,
  mergeCalendars,
  type ProductionCalendar,
  parseProductionCalendar,
  type YearStatus,
  yearStatus,
} from "./production-calendar.js";
export {
  DEFAULT_SCHEDULE,
  formatMinutes,
  type MinuteRange,
  parseSchedule,
  ScheduleError,
  SHORT_DAY_MINUTES,
  type WorkSchedule,
} from "./schedule.js";
export {
  assertTimezone,
  createWorkingTime,
  localYear,
  WorkingTime,
  WorkingTimeError,
  type WorkingTimeOptions,
} from "./working-time.js";

export {
  type Clock,
  fixedClock,
  formatVietnameseDate,
  isIsoDate,
  systemClock,
  VIETNAM_OFFSET_MINUTES,
  vietnamDate,
  vietnamDateTime,
} from './clock.ts';

export const FEEDBACK_PAGE = '/phan-anh-kien-nghi';
export const SUBMIT_PAGE = '/phan-anh-kien-nghi/gui';

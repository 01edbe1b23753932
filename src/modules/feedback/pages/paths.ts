export const FEEDBACK_PAGE = '/phan-anh-kien-nghi';
export const SUBMIT_PAGE = '/phan-anh-kien-nghi/gui';
export const OFFICE_INBOX = '/quan-tri/phan-anh-kien-nghi';
export const MY_FEEDBACK = '/tai-khoan/phan-anh-kien-nghi';
export const FOLLOW_PAGE = '/phan-anh-kien-nghi/theo-doi';
export const TEMPLATES_PAGE = '/quan-tri/phan-anh-kien-nghi/mau-tra-loi';
export const ANSWER_MANY_PAGE = '/quan-tri/phan-anh-kien-nghi/tra-loi-chung';
